/** A command that will not do what it was asked, for a reason the operator can fix: exit code 1. */
export class CommandRefused extends Error {
  override name = 'CommandRefused';
}
