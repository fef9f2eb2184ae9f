import { orderForDetails } from '../../shared/domain/audit-details';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { emailSchema } from '../../shared/domain/order.schema';
import { errorSummary, field, fieldId, issueMessage, textField, type FieldErrors } from '../forms';
import { flag, markup } from '../html';
import { serviceName } from '../display';
import { formStart, type ActResult, type StepContext, type StepPage } from '../step-context';

// Step 1: who is this order for. Three options; the hand-off email is asked for "someone else".

const CHOICES = ['customer', 'my-company', 'someone-else'] as const;
const choiceSchema = z.enum(CHOICES);

interface Values {
  choice: string;
  email: string;
}

function page(ctx: StepContext, values: Values, errors: FieldErrors) {
  const { t } = ctx.page;
  const labels = {
    customer: [t('orderFor.customer'), t('orderFor.customerHint')],
    'my-company': [t('orderFor.myCompany'), t('orderFor.myCompanyHint')],
    'someone-else': [t('orderFor.someoneElse'), t('orderFor.someoneElseHint')],
  } as const;
  const choiceError = errors.get('choice');
  return {
    title: t('orderFor.title'),
    status: errors.size ? 422 : 200,
    body: markup`${errorSummary(t, errors)}
<h1>${t('orderFor.title')}</h1>
<p class="lead">${t('orderFor.intro')}</p>
<h2>${t('orderFor.services')}</h2>
<ul class="summary-list">${ctx.order.services.map(
      (s) =>
        markup`<li><strong>${serviceName(t, s.type)}</strong> · ${t('service.licenses')}: ${s.quantity}</li>`,
    )}</ul>
${formStart(ctx)}
<fieldset tabindex="-1" id="${fieldId('choice')}"${choiceError ? markup` aria-describedby="${fieldId('choice')}-error"` : ''}>
  <legend>${t('orderFor.legend')}</legend>
  ${choiceError ? markup`<span class="error-msg" id="${fieldId('choice')}-error">${choiceError}</span>` : ''}
  ${CHOICES.map(
    (c) =>
      markup`<div class="choice">
        <input
          type="radio"
          name="choice"
          id="choice-${c}"
          value="${c}"
          ${flag('checked', values.choice === c)}
          aria-describedby="choice-${c}-hint"
        />
        <div class="grow">
          <label for="choice-${c}">${labels[c][0]}</label>
          <span class="hint" id="choice-${c}-hint">${labels[c][1]}</span>
          ${
            c === 'someone-else'
              ? markup`<div class="sub" id="handoff-email-box">
                  ${textField({
                    name: 'email',
                    label: t('orderFor.email'),
                    hint: t('orderFor.emailHint'),
                    value: values.email,
                    errors,
                    type: 'email',
                    autocomplete: 'email',
                    spellcheck: false,
                    maxlength: 254,
                  })}
                </div>`
              : ''
          }
        </div>
      </div>`,
  )}
</fieldset>
<div class="actions"><button class="btn" type="submit" name="intent" value="submit">${t('common.next')}</button></div>
</form>`,
  };
}

export const orderForPage: StepPage = {
  async render(ctx) {
    return page(ctx, { choice: '', email: '' }, new Map());
  },

  async act(ctx, form): Promise<ActResult> {
    const { t } = ctx.page;
    const values = { choice: field(form, 'choice'), email: field(form, 'email') };
    const errors: FieldErrors = new Map();
    const choice = choiceSchema.safeParse(values.choice);
    if (!choice.success) {
      errors.set('choice', t('error.choose'));
      return { kind: 'render', ...page(ctx, values, errors) };
    }
    if (choice.data !== 'someone-else') {
      return {
        kind: 'submit',
        output: { choice: choice.data },
        details: orderForDetails(choice.data),
        orderPatch: { orderFor: choice.data },
      };
    }
    const email = emailSchema.safeParse(values.email);
    if (!email.success) {
      errors.set('email', email.error.issues[0] ? issueMessage(t, email.error.issues[0]) : t('error.email'));
      return { kind: 'render', ...page(ctx, values, errors) };
    }
    if (email.data === ctx.link.recipient) {
      errors.set('email', t('error.sameEmail'));
      return { kind: 'render', ...page(ctx, values, errors) };
    }
    return {
      kind: 'submit',
      // A fresh submission id lets the hand-off step tell a retried invocation from a new hand-off.
      output: { choice: 'someone-else', email: email.data, submissionId: randomUUID() },
      details: orderForDetails('someone-else', email.data),
    };
  },
};
