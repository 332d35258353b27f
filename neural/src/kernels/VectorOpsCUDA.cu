#include "kernels/VectorOpsImpl.h"
