/** What the seeded GCP rows are made of: services with their SKU, unit, list price and usage range. */
export interface CloudSku {
  service: string;
  category: string;
  subcategory: string;
  sku: string;
  unit: string;
  /** Price per unit in the billing currency. */
  price: number;
  minQty: number;
  maxQty: number;
  resourceType: string;
}

export const GCP_SKUS: CloudSku[] = [
  { service: 'Compute Engine', category: 'Compute', subcategory: 'Virtual Machines', sku: 'N2 Instance Core running', unit: 'Hours', price: 0.031611, minQty: 1, maxQty: 16, resourceType: 'VM Instance' },
  { service: 'Compute Engine', category: 'Compute', subcategory: 'Virtual Machines', sku: 'N2 Instance Ram running', unit: 'GiB-Hours', price: 0.004237, minQty: 4, maxQty: 64, resourceType: 'VM Instance' },
  { service: 'BigQuery', category: 'Analytics', subcategory: 'Data Processing', sku: 'Analysis', unit: 'TiB', price: 6.25, minQty: 0.001, maxQty: 0.4, resourceType: 'Dataset' },
  { service: 'Cloud Storage', category: 'Storage', subcategory: 'Object Storage', sku: 'Standard Storage', unit: 'GiB-Hours', price: 0.0000274, minQty: 100, maxQty: 20000, resourceType: 'Bucket' },
  { service: 'Cloud Run', category: 'Compute', subcategory: 'Serverless Compute', sku: 'CPU Allocation Time', unit: 'vCPU-Seconds', price: 0.000024, minQty: 1000, maxQty: 90000, resourceType: 'Service' },
  { service: 'Cloud SQL', category: 'Databases', subcategory: 'Relational Databases', sku: 'DB custom CORE', unit: 'Hours', price: 0.0413, minQty: 1, maxQty: 8, resourceType: 'Instance' },
  { service: 'Cloud Load Balancing', category: 'Networking', subcategory: 'Load Balancing', sku: 'Forwarding Rule', unit: 'Hours', price: 0.025, minQty: 1, maxQty: 5, resourceType: 'Forwarding Rule' },
  { service: 'Networking', category: 'Networking', subcategory: 'Network Connectivity', sku: 'Internet Egress', unit: 'GiB', price: 0.12, minQty: 0.1, maxQty: 40, resourceType: 'Network' },
  { service: 'Vertex AI', category: 'AI and Machine Learning', subcategory: 'Machine Learning', sku: 'Online Prediction', unit: 'Node-Hours', price: 0.7, minQty: 0.1, maxQty: 2, resourceType: 'Endpoint' },
  { service: 'Cloud Logging', category: 'Management and Governance', subcategory: 'Observability', sku: 'Log Storage', unit: 'GiB', price: 0.5, minQty: 0.01, maxQty: 3, resourceType: 'Log Bucket' },
];

/** GCP projects (FOCUS sub accounts) and the billing account, with its currency, each bills to. */
export const GCP_PROJECTS = [
  { id: 'acme-api-prod', name: 'API (prod)', billingAccount: '01A2B3-C4D5E6-F7A8B9', billingName: 'Main billing (USD)', currency: 'USD', region: 'us-central1', regionName: 'Iowa' },
  { id: 'acme-data', name: 'Data platform', billingAccount: '01A2B3-C4D5E6-F7A8B9', billingName: 'Main billing (USD)', currency: 'USD', region: 'asia-south1', regionName: 'Mumbai' },
  { id: 'acme-eu', name: 'EU workloads', billingAccount: '0EU111-222333-444555', billingName: 'EU billing (EUR)', currency: 'EUR', region: 'europe-west1', regionName: 'Belgium' },
];

/** Tiny deterministic PRNG (mulberry32): the same seed gives the same ledger on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Micro-units: the seed writes money with at most 6 decimals, so DECIMAL(38,9) holds it exactly. */
export function micros(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
