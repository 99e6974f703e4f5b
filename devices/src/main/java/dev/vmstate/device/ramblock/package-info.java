/**
 * The {@code vs-ramblock} device: the descriptor and dirty bitmap of one guest RAM block, in
 * vmstate's own layout.
 *
 * @since 0.1
 */
package dev.vmstate.device.ramblock;
