#include "kernels/LossImpl.h"
