// Boot view: what cloud-init receives when this node boots — meta-data, user-data, vendor-data and
// each group's document — with the templates that fail for it named (the node gets an empty one).
import { useState } from 'react';
import { useQuery } from '../client';
import { ErrorNote, Loading, Section } from '../components/common';
import { graphql } from '../gql';
import { Link, navigate } from '../router';

const BootQuery = graphql(`
  query BootPreview($xname: String!, $baseUrl: String) {
    bootPreview(xname: $xname, baseUrl: $baseUrl) {
      xname bootIp unavailable metaData userData vendorData
      groups { name hasTemplate document error }
    }
  }
`);

function Document({ title, text, id }: { title: string; text: string | null | undefined; id: string }) {
  return (
    <Section title={title} id={id}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a long document scrolls: the keyboard must reach it */}
      <pre className="document" tabIndex={0}>
        {text ?? ''}
      </pre>
    </Section>
  );
}

export function BootPage({ xname }: { xname: string }) {
  const [input, setInput] = useState(xname);
  const baseUrl = `${window.location.origin}/cloud-init`;
  const { data, error } = useQuery(BootQuery, { xname, baseUrl }, [xname], !xname);
  const preview = data?.bootPreview;
  const failures = preview?.groups.filter((g) => g.error) ?? [];
  return (
    <>
      <h1>Boot documents {xname ? <code>{xname}</code> : null}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/boot/${encodeURIComponent(input.trim())}`);
        }}
      >
        <label htmlFor="boot-xname">Node xname</label>
        <input id="boot-xname" value={input} onChange={(e) => setInput(e.target.value)} placeholder="x1000c0s0b0n0" required />
        <button type="submit">Show</button>
      </form>
      {!xname ? null : !data ? (
        error ? (
          <ErrorNote error={error} />
        ) : (
          <Loading what="Rendering the documents" />
        )
      ) : preview?.unavailable ? (
        <p role="alert">{preview.unavailable}</p>
      ) : preview ? (
        <>
          <p>
            <Link to={`/devices/${preview.xname}`}>{preview.xname}</Link> is known to cloud-init by {preview.bootIp};{' '}
            {preview.groups.length} group
            {preview.groups.length === 1 ? '' : 's'}.
          </p>
          {failures.length > 0 ? (
            <div role="alert" className="error">
              <strong>Template errors:</strong>
              <ul>
                {failures.map((g) => (
                  <li key={g.name}>
                    {g.name}: {g.error}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="grid two">
            <Document title="meta-data" text={preview.metaData} id="doc-meta" />
            <div>
              <Document title="user-data" text={preview.userData} id="doc-user" />
              <Document title="vendor-data" text={preview.vendorData} id="doc-vendor" />
            </div>
          </div>
          {preview.groups.map((g) => (
            <Document
              key={g.name}
              title={`${g.name}.yaml${g.hasTemplate ? '' : ' (metadata only)'}`}
              text={g.document}
              id={`doc-group-${g.name}`}
            />
          ))}
        </>
      ) : null}
    </>
  );
}
