#include "nanoCLR_Runtime.h"
