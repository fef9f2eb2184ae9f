import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's IAM5 finding for exactly one wildcard resource, on `scope` (a role,
 * a function or a state machine) and nothing else.
 *
 * cdk-nag names the finding after the resource as it appears in the final template, and a
 * reference to the other stack only takes that shape (`Fn::GetStackOutput` ...) once the app is
 * prepared for synthesis. So the id is computed then, in a validation hook that runs after the
 * references are resolved and before cdk-nag reads the acknowledgements, with cdk-nag's own
 * flattening, instead of being spelled out by hand.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
      return [];
    },
  });
}
