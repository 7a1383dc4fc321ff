import { forwarderContract } from './contract.js';

forwarderContract('hpm');
