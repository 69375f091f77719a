// The HTTP module. See Package.swift for the module map.
