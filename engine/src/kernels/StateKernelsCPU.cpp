#include "kernels/StateKernelsImpl.h"
