// The simulator's one self-signed TLS certificate, made at start: an ECDSA P-256 key (fast to
// make and to handshake with) and an IP subject-alternative name per simulated BMC address, so a
// client may pin its fingerprint, trust it as a CA bundle, or turn verification off.
import 'reflect-metadata'; // @peculiar/x509's tsyringe needs the Reflect metadata API loaded first
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface SimulatorCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** SHA-256 of the DER certificate as Node's `getPeerCertificate().fingerprint256` writes it ("AB:CD:…"). */
  fingerprint256: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const VALID_DAYS = 30;

export async function makeCertificate(hosts: string[]): Promise<SimulatorCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial,
      name: 'CN=Redfish BMC simulator, O=inventory-gateway',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + VALID_DAYS * 86_400_000),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          ...hosts.map((value) => ({ type: 'ip' as const, value })),
        ]),
      ],
    },
    crypto,
  );
  const certificatePem = certificate.toString('pem');
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8)
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { certificatePem, privateKeyPem, fingerprint256: new X509Certificate(certificatePem).fingerprint256 };
}
