/**
 * Rounds to `decimals` places, half away from zero, on the decimal digits a person reads: 21.5375
 * (stored as 21.53749999…) gives 21.54 and -0.125 gives -0.13, where Math.round would give 21.53 and
 * -0.12 and toFixed follows the binary value.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  // Ten significant places remove the binary noise of sums such as 21.4375 + 0.1 and keep every
  // digit a temperature has (at most 3 integer digits and 4 decimals).
  const [whole, fraction = ''] = Math.abs(value).toFixed(10).split('.');
  const kept = Number(whole + fraction.slice(0, decimals));
  const roundedUp = fraction.charCodeAt(decimals) >= '5'.charCodeAt(0) ? kept + 1 : kept;
  const result = roundedUp / 10 ** decimals;
  return value < 0 && result !== 0 ? -result : result;
}
