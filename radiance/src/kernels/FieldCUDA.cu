#include "kernels/FieldImpl.h"
