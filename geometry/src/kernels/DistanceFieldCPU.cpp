#include "kernels/DistanceFieldImpl.h"
