#include "kernels/DynamicImpl.h"
