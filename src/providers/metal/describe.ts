/** How a recorded call looks as a Metal API request (for --dry-run): the request bodies the provider sends. */
export { describeMetalCall } from './provider.js';
