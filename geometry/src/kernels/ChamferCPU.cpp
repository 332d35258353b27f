#include "kernels/ChamferImpl.h"
