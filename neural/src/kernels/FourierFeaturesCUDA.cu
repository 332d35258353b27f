#include "kernels/FourierFeaturesImpl.h"
