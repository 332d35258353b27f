#include "kernels/OccupancyImpl.h"
