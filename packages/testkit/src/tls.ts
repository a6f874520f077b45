/*
 * Certificates for the loopback services, made with the openssl CLI (EC P-256, so each
 * takes milliseconds). Every certificate names localhost and 127.0.0.1. A self-signed
 * one is what a test server without a trusted chain looks like; the CA variant exists
 * because Node reads NODE_EXTRA_CA_CERTS only at start-up, so one CA must be fixed
 * before workers fork and every later server certificate signed by it.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary, run } from './process';

export interface CertificateFiles {
  keyPath: string;
  certPath: string;
  keyPem: string;
  certPem: string;
}

export interface CertificateAuthority {
  keyPath: string;
  certPath: string;
  certPem: string;
}

const OPENSSL = '/usr/bin/openssl';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

function openssl(args: string[]): Promise<unknown> {
  return run(requireBinary(OPENSSL, 'openssl'), args);
}

async function readPair(keyPath: string, certPath: string): Promise<CertificateFiles> {
  const [keyPem, certPem] = await Promise.all([
    readFile(keyPath, 'utf8'),
    readFile(certPath, 'utf8'),
  ]);
  return { keyPath, certPath, keyPem, certPem };
}

/** A self-signed certificate for CN=localhost with SAN localhost + 127.0.0.1. */
export async function createSelfSignedCertificate(
  dir: string,
  name = 'server',
): Promise<CertificateFiles> {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  await openssl([
    'req', '-x509', ...EC, '-keyout', keyPath, '-out', certPath, '-days', '30',
    '-subj', '/CN=localhost', '-addext', SAN,
  ]); // prettier-ignore
  return readPair(keyPath, certPath);
}

/** A certificate authority whose certificate clients can trust (NODE_EXTRA_CA_CERTS, `ca:`). */
export async function createCertificateAuthority(
  dir: string,
  commonName = 'Mailroom Test CA',
): Promise<CertificateAuthority> {
  const keyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'ca.pem');
  await openssl([
    'req', '-x509', ...EC, '-keyout', keyPath, '-out', certPath, '-days', '30',
    '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  return { keyPath, certPath, certPem: await readFile(certPath, 'utf8') };
}

/** Reads a CA written earlier by createCertificateAuthority into `dir`. */
export async function loadCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const certPath = join(dir, 'ca.pem');
  return { keyPath: join(dir, 'ca.key'), certPath, certPem: await readFile(certPath, 'utf8') };
}

/** A server certificate for localhost + 127.0.0.1 signed by `ca`, written into `dir`. */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  dir: string,
  name = 'server',
): Promise<CertificateFiles> {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  const csrPath = join(dir, `${name}.csr`);
  const extPath = join(dir, `${name}.ext`);
  await writeFile(
    extPath,
    `${SAN}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl([
    'req',
    '-new',
    ...EC,
    '-keyout',
    keyPath,
    '-out',
    csrPath,
    '-subj',
    '/CN=localhost',
  ]);
  await openssl([
    'x509', '-req', '-in', csrPath, '-CA', ca.certPath, '-CAkey', ca.keyPath,
    '-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', '30',
    '-extfile', extPath, '-out', certPath,
  ]); // prettier-ignore
  return readPair(keyPath, certPath);
}
