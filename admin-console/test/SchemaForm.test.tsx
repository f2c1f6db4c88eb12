import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { SchemaForm, toItemData, type Attribute, type Values } from '../src/components/SchemaForm';
import { I18nProvider } from '../src/i18n';

// A category's schema as config-service returns it (GET /categories/{id}/schema), including a
// type the console has no special code for: every attribute gets a field from its type alone.
const SCHEMA: Attribute[] = [
  { code: 'denomination', name: 'Denomination', type: 'integer', required: true, validationRule: { min: 10, max: 500 }, sortOrder: 2 },
  { code: 'carrier', name: 'Carrier', type: 'enum', required: true, enumValues: ['China Mobile', 'China Unicom'], sortOrder: 1 },
  { code: 'sale_price', name: 'Sale price', type: 'decimal', required: false, sortOrder: 3 },
  { code: 'price_calendar', name: 'Price calendar', type: 'json', required: false, sortOrder: 4 },
  { code: 'refundable', name: 'Refundable', type: 'bool', required: false, sortOrder: 5 },
  { code: 'venue', name: 'Venue', type: 'text', required: true, validationRule: { maxLength: 20 }, sortOrder: 6 },
];

function Harness({ errors = {}, onValues }: { errors?: Record<string, string>; onValues?: (v: Values) => void }) {
  const [values, setValues] = useState<Values>({});
  return (
    <MantineProvider env="test">
      <I18nProvider initial="en">
        <SchemaForm attributes={SCHEMA} values={values} errors={errors}
          onChange={(code, v) => setValues((old) => { const next = { ...old, [code]: v }; onValues?.(next); return next; })} />
      </I18nProvider>
    </MantineProvider>
  );
}

describe('SchemaForm', () => {
  it('renders one field per attribute in the schema order, with its type, required mark and enum choices', async () => {
    render(<Harness />);
    // A required field's label carries Mantine's " *" mark.
    const labels = Array.from(document.querySelectorAll('label')).map((e) => e.textContent);
    expect(labels).toEqual(['Carrier *', 'Denomination *', 'Sale price', 'Price calendar', 'Refundable', 'Venue *']);
    expect(screen.getByRole('textbox', { name: /Carrier/ })).toBeRequired();
    expect(screen.getByRole('textbox', { name: /Sale price/ })).not.toBeRequired();
    expect(screen.getByRole('checkbox', { name: 'Refundable' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Venue/ })).toHaveAttribute('maxlength', '20');
    await userEvent.click(screen.getByRole('textbox', { name: /Carrier/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['China Mobile', 'China Unicom']);
  });

  it('collects typed values into itemData: numbers as numbers, json parsed, enum as chosen', async () => {
    let last: Values = {};
    render(<Harness onValues={(v) => { last = v; }} />);
    await userEvent.click(screen.getByRole('textbox', { name: /Carrier/ }));
    const unicom = (await screen.findAllByRole('option')).find((o) => o.textContent === 'China Unicom');
    await userEvent.click(unicom!);
    await userEvent.type(screen.getByRole('textbox', { name: /Denomination/ }), '50');
    await userEvent.type(screen.getByRole('textbox', { name: /Sale price/ }), '49.5');
    await userEvent.click(screen.getByRole('textbox', { name: /Price calendar/ }));
    await userEvent.paste('[{"date": "2026-12-05", "price": 399}]');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Refundable' }));
    const { itemData, errors } = toItemData(SCHEMA, last);
    expect(errors).toEqual({});
    expect(itemData).toEqual({
      carrier: 'China Unicom', denomination: 50, sale_price: 49.5,
      price_calendar: [{ date: '2026-12-05', price: 399 }], refundable: true,
    });
  });

  it('keeps an out-of-range number for the server to judge and marks unparsable json', () => {
    const { itemData, errors } = toItemData(SCHEMA, { denomination: 5000, price_calendar: '[{"date":' });
    expect(itemData).toEqual({ denomination: 5000 });
    expect(errors).toEqual({ price_calendar: 'invalidJson' });
  });

  it('shows server violations on their fields', () => {
    render(<Harness errors={{ denomination: 'must be at most 500', carrier: 'must be one of [China Mobile, China Unicom]' }} />);
    const denomination = screen.getByRole('textbox', { name: /Denomination/ });
    expect(denomination).toHaveAttribute('aria-invalid', 'true');
    const wrapper = denomination.closest('.mantine-InputWrapper-root') as HTMLElement;
    expect(within(wrapper).getByText('must be at most 500')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Venue/ })).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByText('must be one of [China Mobile, China Unicom]')).toBeInTheDocument();
  });
});
