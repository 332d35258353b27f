#include "kernels/RigidTransformImpl.h"
