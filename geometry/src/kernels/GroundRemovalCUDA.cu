#include "kernels/GroundRemovalImpl.h"
