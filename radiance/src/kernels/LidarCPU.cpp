#include "kernels/LidarImpl.h"
