import type { StepId } from '../domain/steps.schema';
import type { Catalogs } from './translate';

/** What each waiting step asks of the person, as emails name it. */
export const stepLabels: Catalogs<StepId> = {
  en: {
    'order-for': 'Tell us who this order is for',
    'partner-org': 'Map the partner organization',
    'customer-org': 'Map the customer organization',
    'customer-review': 'Review the organizations',
    'service-meetings': 'Set up Webex Meetings',
    'service-calling': 'Set up Webex Calling',
  },
  ro: {
    'order-for': 'Spuneți-ne pentru cine este această comandă',
    'partner-org': 'Mapați organizația parteneră',
    'customer-org': 'Mapați organizația clientului',
    'customer-review': 'Revizuiți organizațiile',
    'service-meetings': 'Configurați Webex Meetings',
    'service-calling': 'Configurați Webex Calling',
  },
};
