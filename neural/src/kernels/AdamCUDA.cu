#include "kernels/AdamImpl.h"
