#include "kernels/ImmersedBoundaryImpl.h"
