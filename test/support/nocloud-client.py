"""Drives cloud-init's own NoCloud network datasource against a seed URL the way a node's init
stage does (nocloud.md §2.8 B), without touching the host: every path under a scratch
directory, no blkid probe for a cidata filesystem. Never run `cloud-init init` on a dev or CI
host: it rewrites the hostname and the network configuration.

Usage: /usr/bin/python3 nocloud-client.py SEED_URL SCRATCH_DIR [RETRIES]
Prints one JSON object: what the datasource resolved and every vendor-data part.
"""
import json
import os
import sys

from cloudinit import distros, helpers, url_helper, util, version
from cloudinit.handlers.jinja_template import render_jinja_payload_from_file
from cloudinit.net import is_disabled_cfg
from cloudinit.sources import DataSourceNoCloud

seed, scratch = sys.argv[1], sys.argv[2]
retries = int(sys.argv[3]) if len(sys.argv) > 3 else None

if retries is not None:
    # Only to keep a failing run short: NoCloud asks for 10 retries, 1 s apart.
    read_seeded = util.read_seeded
    util.read_seeded = lambda base, *args, **kwargs: read_seeded(base, *args, **{**kwargs, "retries": retries})

paths = helpers.Paths({"cloud_dir": os.path.join(scratch, "lib"), "run_dir": os.path.join(scratch, "run")})
distro = distros.fetch("debian")("debian", {}, paths)
system_config = {"datasource": {"NoCloud": {"seedfrom": seed, "fs_label": None}}}
datasource = DataSourceNoCloud.DataSourceNoCloudNet(system_config, distro, paths)

result = {"version": version.version_string(), "seed": seed}
try:
    result["get_data"] = datasource.get_data()
except Exception as error:  # what cloud-init's find_source logs before trying the next datasource
    result.update(get_data=False, error=f"{type(error).__name__}: {error}")
    print(json.dumps(result))
    sys.exit(0)

result.update(
    seed_found=datasource.seed,
    instance_id=datasource.get_instance_id(),
    hostname=datasource.get_hostname().hostname,
    public_keys=datasource.get_public_ssh_keys(),
    region=datasource.region,
    availability_zone=datasource.availability_zone,
    cloud_name=datasource.cloud_name,
    user_data=util.decode_binary(datasource.get_userdata_raw()),
)

# Vendor-data as the node processes it: MIME split, every #include fetched, each part typed by
# its first line. A jinja part is rendered as the node's handler does, from instance-data.json.
instance_data = os.path.join(paths.run_dir, "instance-data.json")
parts = []
for part in datasource.get_vendordata().walk():
    if part.get_content_maintype() == "multipart":
        continue
    payload = util.decode_binary(part.get_payload(decode=True))
    entry = {"type": part.get_content_type(), "payload": payload}
    if entry["type"] == "text/jinja2":
        payload = render_jinja_payload_from_file(payload, "part", instance_data)
        entry["rendered"] = payload
    if payload.startswith("#cloud-config"):
        entry["config"] = util.load_yaml(payload)
    parts.append(entry)
result["vendor_parts"] = parts

# cloud-init >= 24.3 also fetches network-config (joined as read_seeded joins the others);
# check the answer with the client's own test.
response = url_helper.read_file_or_url(seed + "network-config")
network = util.load_yaml(util.decode_binary(response.contents))
result["network_config_disabled"] = is_disabled_cfg(network.get("network", network) if network else network)

print(json.dumps(result))
