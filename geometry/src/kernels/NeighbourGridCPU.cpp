#include "kernels/NeighbourGridImpl.h"
