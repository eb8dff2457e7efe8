// ky alone, for the report: what the HTTP layer adds to any bundle.
export { default } from 'ky'
