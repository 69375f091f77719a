// The X402 module. See Package.swift for the module map.
