// A small Redfish service over HTTPS for the reader's tests, shaped after DMTF's public
// mockups (public-rackmount1: one System, one Chassis, one Manager; Power and Thermal inline;
// a GPU both as a Processor and as a PCIe device), with a fresh self-signed certificate.
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';

export interface FixtureCertificate {
  cert: string;
  key: string;
  fingerprint256: string;
}

export async function makeCertificate(): Promise<FixtureCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: 'CN=fixture BMC',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: algorithm,
      keys,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    },
    crypto,
  );
  const cert = certificate.toString('pem');
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
  return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256 };
}

const R = '/redfish/v1';
const link = (path: string) => ({ '@odata.id': path });
const collection = (path: string, members: string[]) => ({
  '@odata.id': path,
  Members: members.map(link),
  'Members@odata.count': members.length,
});
const fru = (serial: string, part = `PN-${serial}`) => ({
  Manufacturer: 'Contoso',
  Model: `Model-${part}`,
  PartNumber: part,
  SerialNumber: serial,
});

/** The tree: path → body. `dimm1Serial` lets a test swap a DIMM. */
export function fixtureTree(dimm1Serial = 'DIMM-1'): Map<string, unknown> {
  const s = `${R}/Systems/437XR1138R2`;
  const c = `${R}/Chassis/1U`;
  const m = `${R}/Managers/BMC`;
  const entries: Array<[string, unknown]> = [
    [
      `${R}`,
      {
        '@odata.id': R,
        RedfishVersion: '1.6.0',
        UUID: '92384634-2938-2342-8820-489239905423',
        Vendor: 'Contoso',
        Systems: link(`${R}/Systems`),
        Chassis: link(`${R}/Chassis`),
        Managers: link(`${R}/Managers`),
      },
    ],
    [`${R}/Systems`, collection(`${R}/Systems`, [s])],
    [
      s,
      {
        '@odata.id': s,
        Id: '437XR1138R2',
        Name: 'WebFrontEnd483',
        SystemType: 'Physical',
        UUID: '38947555-7742-3448-3784-823347823834',
        PowerState: 'On',
        BiosVersion: 'P79 v1.45',
        ...fru('437XR1138R2', '224071-J23'),
        Actions: {
          '#ComputerSystem.Reset': { target: `${s}/Actions/ComputerSystem.Reset`, 'ResetType@Redfish.AllowableValues': ['On', 'ForceOff'] },
        },
        Processors: link(`${s}/Processors`),
        Memory: link(`${s}/Memory`),
        Storage: link(`${s}/Storage`),
        EthernetInterfaces: link(`${s}/EthernetInterfaces`),
        PCIeDevices: [link(`${s}/PCIeDevices/NIC`), link(`${s}/PCIeDevices/GPU`)],
        Links: { Chassis: [link(c)], ManagedBy: [link(m)] },
      },
    ],
    [`${s}/Processors`, collection(`${s}/Processors`, [`${s}/Processors/CPU1`, `${s}/Processors/CPU2`, `${s}/Processors/GPU1`])],
    [
      `${s}/Processors/CPU1`,
      {
        '@odata.id': `${s}/Processors/CPU1`,
        Id: 'CPU1',
        ProcessorType: 'CPU',
        Socket: 'CPU 1',
        TotalCores: 8,
        ...fru('CPU-1'),
        Status: { State: 'Enabled' },
      },
    ],
    [
      `${s}/Processors/CPU2`,
      { '@odata.id': `${s}/Processors/CPU2`, Id: 'CPU2', ProcessorType: 'CPU', Socket: 'CPU 2', Status: { State: 'Absent' } },
    ],
    [
      `${s}/Processors/GPU1`,
      { '@odata.id': `${s}/Processors/GPU1`, Id: 'GPU1', ProcessorType: 'GPU', ...fru('GPU-1'), Status: { State: 'Enabled' } },
    ],
    [`${s}/Memory`, collection(`${s}/Memory`, [`${s}/Memory/DIMM1`, `${s}/Memory/DIMM2`])],
    [
      `${s}/Memory/DIMM1`,
      {
        '@odata.id': `${s}/Memory/DIMM1`,
        Id: 'DIMM1',
        CapacityMiB: 32768,
        OperatingSpeedMhz: 2400,
        DeviceLocator: 'PROC 1 DIMM 1',
        ...fru(dimm1Serial, 'M386A4G40DM0'),
      },
    ],
    [
      `${s}/Memory/DIMM2`,
      {
        '@odata.id': `${s}/Memory/DIMM2`,
        Id: 'DIMM2',
        CapacityMiB: 32768,
        DeviceLocator: 'PROC 1 DIMM 2',
        ...fru('DIMM-2', 'M386A4G40DM0'),
      },
    ],
    [`${s}/Storage`, collection(`${s}/Storage`, [`${s}/Storage/1`])],
    [`${s}/Storage/1`, { '@odata.id': `${s}/Storage/1`, Drives: [link(`${s}/Storage/1/Drives/D0`)] }],
    [
      `${s}/Storage/1/Drives/D0`,
      { '@odata.id': `${s}/Storage/1/Drives/D0`, Id: 'D0', CapacityBytes: 899527000000, MediaType: 'HDD', ...fru('DRIVE-0') },
    ],
    [`${s}/EthernetInterfaces`, collection(`${s}/EthernetInterfaces`, [`${s}/EthernetInterfaces/1`])],
    [
      `${s}/EthernetInterfaces/1`,
      {
        '@odata.id': `${s}/EthernetInterfaces/1`,
        Id: '1',
        MACAddress: 'AA:BB:CC:DD:EE:FF',
        IPv4Addresses: [{ Address: '192.168.0.10' }],
        InterfaceEnabled: true,
      },
    ],
    [
      `${s}/PCIeDevices/NIC`,
      { '@odata.id': `${s}/PCIeDevices/NIC`, Id: 'NIC', ...fru('NIC-1'), PCIeFunctions: link(`${s}/PCIeDevices/NIC/PCIeFunctions`) },
    ],
    [`${s}/PCIeDevices/NIC/PCIeFunctions`, collection(`${s}/PCIeDevices/NIC/PCIeFunctions`, [`${s}/PCIeDevices/NIC/PCIeFunctions/0`])],
    [
      `${s}/PCIeDevices/NIC/PCIeFunctions/0`,
      {
        '@odata.id': `${s}/PCIeDevices/NIC/PCIeFunctions/0`,
        DeviceClass: 'NetworkController',
        Links: { EthernetInterfaces: [link(`${s}/EthernetInterfaces/1`)] },
      },
    ],
    [`${s}/PCIeDevices/GPU`, { '@odata.id': `${s}/PCIeDevices/GPU`, Id: 'GPU', ...fru('GPU-1') }],
    [`${R}/Chassis`, collection(`${R}/Chassis`, [c])],
    [
      c,
      {
        '@odata.id': c,
        Id: '1U',
        Name: 'Computer System Chassis',
        ChassisType: 'RackMount',
        ...fru('437XR1138R2', '224071-J23'),
        Power: link(`${c}/Power`),
        Thermal: link(`${c}/Thermal`),
        Links: { ComputerSystems: [link(s)], ManagedBy: [link(m)] },
      },
    ],
    [
      `${c}/Power`,
      {
        '@odata.id': `${c}/Power`,
        PowerControl: [{ '@odata.id': `${c}/Power#/PowerControl/0`, MemberId: '0' }],
        PowerSupplies: [{ '@odata.id': `${c}/Power#/PowerSupplies/0`, MemberId: '0', Name: 'Power Supply Bay', ...fru('PSU-0') }],
      },
    ],
    [
      `${c}/Thermal`,
      { '@odata.id': `${c}/Thermal`, Fans: [{ '@odata.id': `${c}/Thermal#/Fans/0`, MemberId: '0', Name: 'BaseBoard System Fan' }] },
    ],
    [`${R}/Managers`, collection(`${R}/Managers`, [m])],
    [
      m,
      {
        '@odata.id': m,
        Id: 'BMC',
        Name: 'Manager',
        ManagerType: 'BMC',
        UUID: '58893887-8974-2487-2389-841168418919',
        FirmwareVersion: '4.4.6521',
        ...fru('BMC-1'),
        EthernetInterfaces: link(`${m}/EthernetInterfaces`),
        CommandShell: { ConnectTypesSupported: ['SSH'] },
        Links: { ManagerForChassis: [link(c)] },
      },
    ],
    [`${m}/EthernetInterfaces`, collection(`${m}/EthernetInterfaces`, [`${m}/EthernetInterfaces/1`])],
    [
      `${m}/EthernetInterfaces/1`,
      {
        '@odata.id': `${m}/EthernetInterfaces/1`,
        Id: '1',
        MACAddress: '12:44:6A:3B:04:11',
        IPv4Addresses: [{ Address: '127.0.0.1' }],
        InterfaceEnabled: true,
      },
    ],
  ];
  return new Map(entries);
}

export interface FixtureBmc {
  address: string;
  server: Server;
  requests: number;
  tree: Map<string, unknown>;
  /** What every answer is: the tree (default), HTML, a 500, or broken JSON. */
  mode: 'ok' | 'html' | 'error' | 'broken';
  /** Resolves once no client connection is open (at most 2 s): every request sent has been counted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const USER = 'admin';
export const PASSWORD = 'fixture-Pa55';

export async function startFixtureBmc(certificate: FixtureCertificate): Promise<FixtureBmc> {
  const bmc = { requests: 0, tree: fixtureTree(), mode: 'ok' } as FixtureBmc;
  const sessions = new Set<string>();
  bmc.server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    bmc.requests += 1;
    const path = (req.url ?? '/').replace(/\/+$/, '') || '/';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (bmc.mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>switch</html>');
    if (bmc.mode === 'error') return send(500, { error: 'internal' });
    if (bmc.mode === 'broken') return send(200, '{"RedfishVersion": "1.6.0", ');
    if (req.method === 'POST' && path === `${R}/SessionService/Sessions`) {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { UserName, Password } = JSON.parse(body || '{}');
        if (UserName !== USER || Password !== PASSWORD) return send(401, {});
        const token = `token-${sessions.size + 1}`;
        sessions.add(token);
        send(201, {}, { 'x-auth-token': token, location: `${R}/SessionService/Sessions/${sessions.size}` });
      });
      return;
    }
    if (req.method === 'DELETE') return send(204, '');
    if (path !== R) {
      const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      if (req.headers.authorization !== basic && !sessions.has(String(req.headers['x-auth-token']))) return send(401, {});
    }
    const body = bmc.tree.get(path);
    return body ? send(200, body) : send(404, {});
  });
  await new Promise<void>((resolve) => bmc.server.listen(0, '127.0.0.1', resolve));
  bmc.address = `127.0.0.1:${(bmc.server.address() as AddressInfo).port}`;
  bmc.idle = async () => {
    const open = () => new Promise<number>((resolve) => bmc.server.getConnections((_, count) => resolve(count)));
    for (let i = 0; i < 200 && (await open()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  bmc.close = () => new Promise((resolve) => bmc.server.close(() => resolve()));
  return bmc;
}
