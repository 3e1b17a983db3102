//! DNS mode policy: the zone groups Azure Policy must write, and the companion policy this
//! tool writes for the group IDs no current built-in policy covers (Media Services', whose
//! built-in is deprecated, and Resource Manager's).

use super::private_link::{Service, Target, Zone};
use super::{Deployment, Dns, Vnet};

/// One DeployIfNotExists policy of the companion template: it gives every endpoint of
/// `service` a zone group writing into the central zone `zone_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanionPolicy {
    pub service: Service,
    pub zone_id: String,
}

/// An endpoint whose zone group Azure Policy writes, and the zone it must write into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEndpoint {
    pub name: String,
    pub service: Service,
    /// Where the endpoint lives: `None` for the deployment's own resource group.
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
    pub zone: Zone,
    /// The central zone the values name; without it, any zone of the right name will do.
    pub zone_id: Option<String>,
    /// Written by the companion policy (no built-in covers it).
    pub companion: bool,
    /// Exists only with Media Services deployed.
    pub needs_media: bool,
}

impl Deployment {
    /// The companion policies, one per group ID that needs one, in catalogue order. The rules
    /// have made sure each such zone is named, and named alike wherever it is used.
    pub fn companion_policies(&self) -> Vec<CompanionPolicy> {
        let mut out: Vec<CompanionPolicy> = Vec::new();
        for e in self.policy_endpoints() {
            let group = e.service.group_id();
            if !e.companion || out.iter().any(|p| p.service.group_id() == group) {
                continue;
            }
            if let Some(zone_id) = e.zone_id {
                out.push(CompanionPolicy {
                    service: e.service,
                    zone_id,
                });
            }
        }
        out
    }

    /// Every endpoint whose zone group is left to Azure Policy: those of the deployed
    /// targets in each VNet with endpoints and DNS mode policy, then Resource Manager's.
    pub fn policy_endpoints(&self) -> Vec<PolicyEndpoint> {
        let targets = self.deployed_targets();
        let mut out = Vec::new();
        for vnet in self.endpoint_vnets() {
            let Dns::Policy(ids) = &vnet.dns else {
                continue;
            };
            for t in &targets {
                let zone = t.service.zone();
                out.push(endpoint(t, vnet, zone, ids.get(&zone).cloned()));
            }
        }
        if let (Some(rm), Some(t)) = (&self.resource_manager, self.resource_manager_target()) {
            if matches!(rm.dns, Dns::Policy(_)) {
                out.push(PolicyEndpoint {
                    name: t.endpoint_name(&rm.subnet.vnet_name),
                    service: t.service,
                    subscription_id: Some(rm.subnet.subscription_id.clone()),
                    resource_group: Some(rm.subnet.resource_group.clone()),
                    zone: Zone::ResourceManager,
                    zone_id: rm.zone_id.clone(),
                    companion: true,
                    needs_media: false,
                });
            }
        }
        out
    }
}

fn endpoint(t: &Target, vnet: &Vnet, zone: Zone, zone_id: Option<String>) -> PolicyEndpoint {
    let existing = vnet.existing();
    PolicyEndpoint {
        name: t.endpoint_name(vnet.key()),
        service: t.service,
        subscription_id: existing.map(|e| e.subscription_id.clone()),
        resource_group: existing.map(|e| e.resource_group.clone()),
        zone,
        zone_id,
        companion: t.service.built_in_dns_policy().is_none(),
        needs_media: t.service.needs_media(),
    }
}
