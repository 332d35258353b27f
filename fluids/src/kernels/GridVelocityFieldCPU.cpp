#include "kernels/GridVelocityFieldImpl.h"
