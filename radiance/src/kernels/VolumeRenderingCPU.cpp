#include "kernels/VolumeRenderingImpl.h"
