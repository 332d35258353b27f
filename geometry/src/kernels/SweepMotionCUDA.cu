#include "kernels/SweepMotionImpl.h"
