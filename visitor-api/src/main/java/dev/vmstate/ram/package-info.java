/**
 * Guest RAM as a stream carries it: decoding QEMU's XBZRLE page deltas and rebuilding the final
 * contents of each RAM block from its page records ({@link dev.vmstate.ram.RamImages}).
 */
package dev.vmstate.ram;
