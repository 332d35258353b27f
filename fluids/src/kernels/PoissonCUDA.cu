#include "kernels/PoissonImpl.h"
