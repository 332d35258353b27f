#include "kernels/MlpKernelsImpl.h"
