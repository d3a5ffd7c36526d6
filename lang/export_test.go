package lang

// CIntType is cIntType, for the kernel test of its table (ctypes_kernel_test.go).
var CIntType = cIntType
