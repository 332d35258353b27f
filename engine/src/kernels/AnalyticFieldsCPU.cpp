#include "kernels/AnalyticFieldsImpl.h"
