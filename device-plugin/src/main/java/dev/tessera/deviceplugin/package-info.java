/**
 * Node-side decision logic of the Tessera kubelet device plugin (hami-compat §8): pure functions
 * that the gRPC server calls, testable without a GPU or kubelet.
 */
package dev.tessera.deviceplugin;
