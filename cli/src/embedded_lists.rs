//! The sanctions lists shipped in the repository's `data/`, embedded in the
//! `zkcomply` binary so that `zkcomply demo` runs anywhere. The library
//! does not carry them: its users pass their own lists.

use zkcomply_prover::demo::{DemoLists, NamedList};

fn list(name: &str, text: &str) -> NamedList {
    NamedList { name: name.to_string(), text: text.to_string() }
}

/// The OFAC SDN digital-currency address lists (2024-09-27 extraction) and
/// the synthetic identity list.
pub fn shipped_lists() -> DemoLists {
    DemoLists {
        address_lists: vec![
            list(
                "sanctioned_addresses_ARB.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ARB.txt"),
            ),
            list(
                "sanctioned_addresses_BCH.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BCH.txt"),
            ),
            list(
                "sanctioned_addresses_BSC.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BSC.txt"),
            ),
            list(
                "sanctioned_addresses_BSV.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BSV.txt"),
            ),
            list(
                "sanctioned_addresses_BTG.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BTG.txt"),
            ),
            list(
                "sanctioned_addresses_DASH.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_DASH.txt"),
            ),
            list(
                "sanctioned_addresses_ETC.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ETC.txt"),
            ),
            list(
                "sanctioned_addresses_ETH.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ETH.txt"),
            ),
            list(
                "sanctioned_addresses_LTC.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_LTC.txt"),
            ),
            list(
                "sanctioned_addresses_TRX.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_TRX.txt"),
            ),
            list(
                "sanctioned_addresses_USDC.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_USDC.txt"),
            ),
            list(
                "sanctioned_addresses_USDT.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_USDT.txt"),
            ),
            list(
                "sanctioned_addresses_XBT.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XBT.txt"),
            ),
            list(
                "sanctioned_addresses_XMR.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XMR.txt"),
            ),
            list(
                "sanctioned_addresses_XRP.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XRP.txt"),
            ),
            list(
                "sanctioned_addresses_XVG.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XVG.txt"),
            ),
            list(
                "sanctioned_addresses_ZEC.txt",
                include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ZEC.txt"),
            ),
        ],
        identity_list: list(
            "synthetic-sanctioned-identities.txt",
            include_str!("../../data/identities/synthetic-sanctioned-identities.txt"),
        ),
        address_source: "OFAC SDN digital-currency addresses, extracted 2024-09-27".into(),
        identity_source: "Synthetic sanctioned identities, demo data".into(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_embedded_lists_are_the_ones_in_data() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let on_disk = DemoLists::from_data_dir(&data).expect("the lists in data/");
        let shipped = shipped_lists();
        assert_eq!(
            (shipped.address_lists, shipped.identity_list),
            (on_disk.address_lists, on_disk.identity_list),
            "a list was added to or removed from data/: update embedded_lists.rs"
        );
    }
}
