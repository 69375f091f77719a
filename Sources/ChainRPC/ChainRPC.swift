// The ChainRPC module. See Package.swift for the module map.
