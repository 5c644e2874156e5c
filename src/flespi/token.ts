/** flespi expects the token as the MQTT username, written `FlespiToken <token>`. */
const PREFIX = 'FlespiToken ';

/** The longest token we accept: flespi tokens are 64 characters; anything far longer is a paste error. */
export const MAX_TOKEN_LENGTH = 512;

/**
 * Turns what a user pasted (with or without the `FlespiToken` prefix, with stray
 * whitespace or line breaks) into the MQTT username flespi expects.
 * Throws when nothing usable is left, so a missing token is reported before connecting.
 */
export function flespiUsername(pasted: string | undefined): string {
  const bare = stripPrefix((pasted ?? '').trim());
  if (bare.length === 0) {
    throw new Error('no flespi token: enter it in the flespi broker configuration');
  }
  if (bare.length > MAX_TOKEN_LENGTH) {
    throw new Error(`the flespi token is ${bare.length} characters long; a flespi token has 64`);
  }
  if (/\s/.test(bare)) {
    throw new Error('the flespi token contains spaces or line breaks: paste the token alone');
  }
  return PREFIX + bare;
}

function stripPrefix(text: string): string {
  const match = /^flespitoken(\s+|$)/i.exec(text);
  return match ? text.slice(match[0].length).trim() : text;
}
