/**
 * An error whose message is meant for the member: the error boundary shows it as is (privately). Any other error
 * is logged and the member sees a generic apology.
 */
export class UserFacingError extends Error {
  override readonly name = "UserFacingError";
}
