import { forwarderContract } from './contract.js';

forwarderContract('undici');
