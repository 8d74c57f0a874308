/* SPDX-License-Identifier: MIT */
/* The payments table's arithmetic (calc/payments.h). */
#include "calc/payments.h"

#include "calc/ratio.h"

double
pccs_pay_core_contract(double global_sum, double mpig, double pms_balance)
{
    return global_sum + mpig + pms_balance;
}

double
pccs_pay_other(double total, double core_contract, double qof)
{
    return total - core_contract - qof;
}

double
pccs_pay_sum(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

double
pccs_pay_per_patient(double amount, double patients)
{
    return pccs_rate_per(amount, patients, 1);
}

enum pccs_pay_exclusion
pccs_pay_exclude(bool has_reg, double registered, bool has_w, double weighted,
                 double min_registered, double min_weighted)
{
    if (!has_reg || registered <= 0)
        return PCCS_PAY_NO_REGISTERED;
    if (registered < min_registered)
        return PCCS_PAY_FEW_REGISTERED;
    if (!has_w || weighted <= 0)
        return PCCS_PAY_NO_WEIGHTED;
    if (weighted < min_weighted)
        return PCCS_PAY_FEW_WEIGHTED;
    return PCCS_PAY_KEPT;
}

int
pccs_pay_outside(double v, double lo, double hi)
{
    if (v < lo)
        return -1;
    if (v > hi)
        return 1;
    return 0;
}
