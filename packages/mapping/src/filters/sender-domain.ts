/**
 * The admin's allowed sender domains: case-insensitive, the domain itself or any subdomain
 * ("example.com" allows "support.example.com", never "badexample.com"), internationalised
 * domains compared in their ASCII (punycode) form so "bücher.de" and "xn--bcher-kva.de" are
 * one domain. An empty list allows every sender.
 */

/** Lower-case ASCII form of a domain, or null for something that is not one. */
export const toAsciiDomain = (domain: string): string | null => {
  if (typeof domain !== 'string') return null;
  let value = domain.trim().toLowerCase();
  value = value.replace(/^@/, '').replace(/^\*\./, '').replace(/\.$/, '');
  if (value.length === 0 || value.length > 253 || /[\s/@:?#[\]\\]/.test(value)) return null;
  if (/^[a-z0-9.-]+$/.test(value)) return value;
  try {
    // WHATWG URL applies UTS #46 (IDNA) mapping and punycode: pure, and the same in Node and browsers.
    const hostname = new URL(`http://${value}/`).hostname;
    return hostname.length > 0 ? hostname : null;
  } catch {
    return null;
  }
};

export const domainOf = (address: string | null | undefined): string | null => {
  if (typeof address !== 'string') return null;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return toAsciiDomain(address.slice(at + 1));
};

/** The allowed domain the address falls under, null when none; `true` when the list is empty. */
export const matchAllowedDomain = (
  address: string | null | undefined,
  allowedDomains: readonly string[],
): string | true | null => {
  const allowed = (Array.isArray(allowedDomains) ? allowedDomains : []).filter(
    (domain) => typeof domain === 'string' && domain.trim().length > 0,
  );
  if (allowed.length === 0) return true;
  const domain = domainOf(address);
  if (domain === null) return null;
  for (const entry of allowed) {
    const candidate = toAsciiDomain(entry);
    if (candidate === null) continue;
    if (domain === candidate || domain.endsWith(`.${candidate}`)) return entry;
  }
  return null;
};
