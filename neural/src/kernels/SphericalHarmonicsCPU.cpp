#include "kernels/SphericalHarmonicsImpl.h"
