import { closestNames, didYouMean } from '../../domain/suggest';

const ROLES = [
  'employee',
  'Seasonal Agents',
  'Voice Agent',
  'Chat Agent',
  'Email Agent',
  'Supervisor',
  'Quality Evaluator',
  'Workforce Viewer',
  'Reporting Viewer',
  'Trainer',
];

describe('closestNames', () => {
  it('finds names that differ by case, spacing, hyphens or a few letters, best first', () => {
    expect(closestNames('Seasonal Agent', ROLES)).toEqual(['Seasonal Agents']);
    expect(closestNames('seasonal-agents', ROLES)).toEqual(['Seasonal Agents']);
    expect(closestNames('SUPERVISOR', ROLES)).toEqual(['Supervisor']);
    expect(closestNames('Quality  Evaluater', ROLES)).toEqual(['Quality Evaluator']);
    expect(closestNames('Holiday Overflow Queue', ['Home', 'Holiday Overflow', 'E-Commerce'])).toEqual([
      'Holiday Overflow',
    ]);
  });

  it('prefers an exact match but for case over an edit, and caps the list', () => {
    expect(closestNames('voice agent', ['Voice Agents', 'Voice Agent'])).toEqual(['Voice Agent']);
    expect(closestNames('Voice Agnt', ['Voice Agents', 'Voice Agent'])).toEqual(['Voice Agent', 'Voice Agents']);
    expect(closestNames('Agent', ROLES, 2)).toHaveLength(2);
  });

  it('suggests nothing for unrelated names', () => {
    expect(closestNames('Payroll Admin', ROLES)).toEqual([]);
    expect(didYouMean([])).toBe('');
  });

  it('words one or several suggestions', () => {
    expect(didYouMean(['A'])).toBe(' — did you mean "A"?');
    expect(didYouMean(['A', 'B', 'C'])).toBe(' — did you mean "A", "B" or "C"?');
  });
});
