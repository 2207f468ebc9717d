# cmocka unit tests of the core against the hypervisor model (ASan + UBSan).
. tests/lib.sh
run_cmocka_dir "$BUILD/host/asan/bin" test_
