#include "kernels/CloudFiltersImpl.h"
