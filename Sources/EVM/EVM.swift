// The EVM module. See Package.swift for the module map.
