#include "kernels/HashEncodingImpl.h"
